namespace Coap.Engine.Protocol;

/// <summary>Names of the registered method and response codes (RFC 7252 §12.1, RFC 8132, RFC 7959, RFC 8516, RFC 8768).</summary>
internal static class CoapCodeNames
{
    private static readonly Dictionary<byte, string> Names = new()
    {
        [0x01] = "GET", [0x02] = "POST", [0x03] = "PUT", [0x04] = "DELETE",
        [0x05] = "FETCH", [0x06] = "PATCH", [0x07] = "iPATCH",
        [0x41] = "Created", [0x42] = "Deleted", [0x43] = "Valid", [0x44] = "Changed",
        [0x45] = "Content", [0x5F] = "Continue",
        [0x80] = "Bad Request", [0x81] = "Unauthorized", [0x82] = "Bad Option", [0x83] = "Forbidden",
        [0x84] = "Not Found", [0x85] = "Method Not Allowed", [0x86] = "Not Acceptable",
        [0x88] = "Request Entity Incomplete", [0x89] = "Conflict", [0x8C] = "Precondition Failed",
        [0x8D] = "Request Entity Too Large", [0x8F] = "Unsupported Content-Format",
        [0x96] = "Unprocessable Entity", [0x9D] = "Too Many Requests",
        [0xA0] = "Internal Server Error", [0xA1] = "Not Implemented", [0xA2] = "Bad Gateway",
        [0xA3] = "Service Unavailable", [0xA4] = "Gateway Timeout", [0xA5] = "Proxying Not Supported", [0xA8] = "Hop Limit Reached",
    };

    public static string? Find(byte value) => Names.GetValueOrDefault(value);
}
