using System.Net;

namespace Meridian.Topology.Tests;

public sealed class ListenerTests
{
    [Fact]
    public void LoadFromText_ListenPortZero_AcceptedForDnsAndControl()
    {
        var result = Yaml.Load(Yaml.ZoneHeader.Replace("zones:", "dns: { listen: [127.0.0.1:0] }\ncontrol: { listen: 127.0.0.1:0 }\nzones:") +
            "      - { name: www, type: A, values: [192.0.2.1] }\n");

        Yaml.NoErrors(result);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0), Assert.Single(result.Config!.Dns.Listen));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0), result.Config.Control.Listen);
    }

    [Theory]
    [InlineData("127.0.0.1:65536", "port must be between 0 and 65535")]
    [InlineData("127.0.0.1", "expected ip:port")]
    public void LoadFromText_ListenPortInvalid_ErrorAtDnsListen(string listen, string message)
    {
        var result = Yaml.Load(Yaml.ZoneHeader.Replace("zones:", $"dns: {{ listen: [\"{listen}\"] }}\nzones:") +
            "      - { name: www, type: A, values: [192.0.2.1] }\n");

        Yaml.Has(result, "dns.listen[0]", message);
    }
}
