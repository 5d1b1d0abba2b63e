namespace Meridian.Topology.Tests;

/// <summary>Bounded fuzzing: mutated sample files must produce errors, never exceptions.</summary>
public sealed class FuzzTests
{
    /// <summary>2,000 by default; set MERIDIAN_FUZZ_ITERATIONS / MERIDIAN_FUZZ_SEED for a longer exploratory run.</summary>
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("MERIDIAN_FUZZ_ITERATIONS"), out var n) ? n : 2000;
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("MERIDIAN_FUZZ_SEED"), out var s) ? s : 20261126;

    [Fact]
    public void LoadFromText_RandomMutationsOfSample_NeverThrows()
    {
        var sample = TestFiles.SampleText;
        var lines = sample.Split('\n');
        var random = new Random(Seed);
        for (var i = 0; i < Iterations; i++)
        {
            var text = Mutate(random, lines, sample);
            try
            {
                var result = Yaml.Load(text);
                Assert.True(result.Config is not null || result.Errors.Count > 0);
                Assert.All(result.Errors, e => Assert.True(e.Line >= 1 && e.Column >= 1, e.ToString()));
            }
            catch (Exception ex)
            {
                Assert.Fail($"iteration {i} threw {ex}\n--- input ---\n{text}");
            }
        }
    }

    [Theory]
    [InlineData(100_000, '[')]
    [InlineData(100_000, '{')]
    public void LoadFromText_DeeplyNestedInput_ReturnsErrorsWithoutStackOverflow(int depth, char open)
    {
        var result = Yaml.Load("regions: " + new string(open, depth));
        Assert.Contains("nesting deeper", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void LoadFromText_AliasBomb_DoesNotExpand()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + string.Join("\n", Enumerable.Range(0, 20).Select(i => $"b{i}: &b{i} [{string.Join(", ", Enumerable.Repeat(i == 0 ? "*a" : $"*b{i - 1}", 10))}]"))
            + "\nzones: *b19\n";
        var result = Yaml.Load(yaml);
        Assert.NotEmpty(result.Errors);
    }

    private static readonly string[] EdgeValues =
    [
        "", "~", "''", "-1", "0", "256", "99999999999999999999", "1e3", "0x10", "-0", "1.5", "NaN", ".inf", "true", "[]", "{}",
        "[~]", "{ a: 1 }", "'*'", "'@'", "'.'", "'..'", "'::'", "'[::1]'", "'[::1]:0'", "0.0.0.0/0", "'::/0'", "1.2.3.4/33",
        "'1.2.3.4:99999'", "'a:b:c'", "\u0661\u0662", "'\u0661s'", "1ms", "0s", "999999999h", "default", "'*.x'",
        "'x..y'", "'-'", "'0 issue \"\"'", "'65535 65535 65535 .'", "&a x", "*a", "!!binary AAAA", "!custom x",
        // Load balancer and edge values: URLs, status ranges, ports, header names.
        "'http://'", "'https://[::1'", "'http://[::1]:99999'", "'ftp://x'", "'http://a@b'", "'http://%zz/'", "'//x'", "'http:x'",
        "'http://xn--n3h.test'", "'http://m\u00fcnchen.test'", "'http://127.0.0.1/?q#f'", "traffic-port", "'200-'", "'-200'",
        "'200,,300'", "'599-600'", "'0.0.0.0:8080'", "'[::]:8080'", "'X Header'", "'/_meridian/health'",
        // Edge caching values: durations in days, sizes, path patterns, list policies, enums.
        "1d", "365d", "99999999d", "256MB", "1.5GiB", "0B", "'1.5B'", "'/static/*'", "'/*'", "'**?*'", "'/a b'", "'/\u00e9'",
        "{ allow: [] }", "{ all_except: [a, a] }", "{ allow: [a], all_except: [b] }", "get_head_options", "redirect_to_https",
        "'certs/none.pem'", "'\0'", "{ min: 2d, max: 1s }", "{ 404: 1s }",
    ];

    private static string Mutate(Random random, string[] lines, string sample)
    {
        var list = lines.ToList();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            var at = random.Next(list.Count);
            switch (random.Next(8))
            {
                case 7:
                    // Replace a value with an edge case: well-formed YAML, hostile content.
                    var colon = list[at].IndexOf(": ", StringComparison.Ordinal);
                    if (colon >= 0)
                    {
                        var end = list[at].IndexOfAny([',', '}', ']', '#'], colon + 2);
                        var value = EdgeValues[random.Next(EdgeValues.Length)];
                        list[at] = list[at][..(colon + 2)] + value + (end < 0 ? "" : list[at][end..]);
                    }
                    break;
                case 0:
                    list.RemoveAt(at);
                    break;
                case 1:
                    list.Insert(at, list[random.Next(list.Count)]);
                    break;
                case 2:
                    var other = random.Next(list.Count);
                    (list[at], list[other]) = (list[other], list[at]);
                    break;
                case 3:
                    list[at] = RandomBytes(random, list[at]);
                    break;
                case 4:
                    list[at] = list[at].Length > 0 ? list[at][..random.Next(list[at].Length)] : list[at];
                    break;
                case 5:
                    // Swap a token for one from elsewhere in the file: produces well-formed but wrong values.
                    var words = sample.Split([' ', '\n', ',', '[', ']', '{', '}'], StringSplitOptions.RemoveEmptyEntries);
                    var word = words[random.Next(words.Length)];
                    var pos = random.Next(list[at].Length + 1);
                    list[at] = list[at].Insert(pos, word);
                    break;
                default:
                    list[at] = new string(' ', random.Next(4)) + list[at].TrimStart();
                    break;
            }
            if (list.Count == 0)
            {
                list.Add("");
            }
        }
        return string.Join('\n', list);
    }

    private static string RandomBytes(Random random, string line)
    {
        var chars = line.ToCharArray().ToList();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var c = random.Next(3) switch
            {
                0 => (char)random.Next(0, 32),
                1 => "{}[]:,-?&*!|>'\"%@`#"[random.Next(19)],
                _ => (char)random.Next(32, 0x3000),
            };
            chars.Insert(random.Next(chars.Count + 1), c);
        }
        return new string(chars.ToArray());
    }
}
