using BenchmarkDotNet.Running;

namespace Meridian.Benchmarks;

/// <summary>
/// Micro-benchmarks of the answer path (query bytes → response bytes). Run from the repository root:
/// <c>dotnet run -c Release --project bench/Meridian.Benchmarks -- --filter '*' --job short</c>
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
