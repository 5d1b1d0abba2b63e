namespace Meridian.Database.Processes;

/// <summary>Exit code and captured output of one program run.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output, string Error)
{
    /// <summary>The last lines of stderr (or stdout when stderr is empty): what an error message should quote.</summary>
    public string Tail(int lines = 6)
    {
        var text = string.IsNullOrWhiteSpace(Error) ? Output : Error;
        return string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));
    }
}
