namespace Meridian.Edge;

/// <summary>Composes the stages, in order, in front of the terminal origin forwarder; built once.</summary>
internal sealed class EdgePipeline
{
    private readonly EdgeRequestDelegate _entry;

    public EdgePipeline(IReadOnlyList<IEdgeStage> stages, EdgeRequestDelegate terminal)
    {
        var next = terminal;
        for (var i = stages.Count - 1; i >= 0; i--)
        {
            var stage = stages[i];
            var downstream = next;
            next = context => stage.InvokeAsync(context, downstream);
        }

        _entry = next;
    }

    public Task InvokeAsync(EdgeRequestContext context) => _entry(context);
}
