using Serilog;

namespace AzureCni.Vnet.Transactions;

/// <summary>
/// The transaction of an ADD: every side effect registers its undo right after it succeeds; disposing without
/// <see cref="Commit"/> runs the undos in reverse order. An undo that fails is logged and the rest still run,
/// so the original error is the one reported.
/// </summary>
internal sealed class UndoStack(ILogger log) : IDisposable
{
    private readonly List<(string What, Action Undo)> _steps = [];
    private bool _committed;

    public void Push(string what, Action undo) => _steps.Add((what, undo));

    public void Commit() => _committed = true;

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        for (int i = _steps.Count - 1; i >= 0; i--)
        {
            try
            {
                _steps[i].Undo();
                log.Debug("undone: {What}", [_steps[i].What]);
            }
            catch (Exception e)
            {
                log.Warning("undo of {What} failed: {Error}", [_steps[i].What, e.Message]);
            }
        }

        _steps.Clear();
    }
}
