using CoapHost;

return await CoapHostApplication.RunAsync(args).ConfigureAwait(false);
