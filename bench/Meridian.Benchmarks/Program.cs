using BenchmarkDotNet.Running;

namespace Meridian.Benchmarks;

/// <summary>
/// Micro-benchmarks of the answer path (query bytes → response bytes) and of our wire codec against ARSoft.Tools.Net
/// and Makaretu.Dns. Run from the repository root:
/// <c>dotnet run -c Release --project bench/Meridian.Benchmarks -- --filter '*' --job short</c>
/// (<c>--filter '*AnswerPath*'</c> for the answer path only, <c>'*CodecComparison*'</c> for the codec comparison;
/// <c>-- disk-cold [count] [bytes]</c>: the edge cache's disk tier read back with the page cache dropped, <see cref="DiskColdRead"/>)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["disk-cold", ..])
        {
            return DiskColdRead.RunAsync(args).GetAwaiter().GetResult();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
