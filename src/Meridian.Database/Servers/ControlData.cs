namespace Meridian.Database.Servers;

/// <summary>What pg_controldata says about a stopped (or running) data directory.</summary>
internal sealed record ControlData(string ClusterState, int Timeline, long CheckpointLsn)
{
    public bool ShutDownCleanly => ClusterState is "shut down" or "shut down in recovery";

    public static ControlData Parse(string output)
    {
        string state = "";
        int timeline = 0;
        long checkpoint = 0;
        foreach (var line in output.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "Database cluster state":
                    state = value;
                    break;
                case "Latest checkpoint's TimeLineID":
                    timeline = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "Latest checkpoint location":
                    checkpoint = Lsn.Parse(value);
                    break;
            }
        }
        return new ControlData(state, timeline, checkpoint);
    }
}
