// The tests count this process's children to prove that sessions start and end processes, so they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
