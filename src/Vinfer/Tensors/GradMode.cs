namespace Vinfer.Tensors;

/// <summary>Whether ops record the graph on this thread. <c>using (GradMode.Disable()) { … }</c> is the no-grad scope.</summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    /// <summary>True when ops record gradient nodes.</summary>
    public static bool IsEnabled => _disabledDepth == 0;

    /// <summary>Stops recording until the returned scope is disposed (scopes nest).</summary>
    public static NoGradScope Disable()
    {
        _disabledDepth++;
        return new NoGradScope();
    }

    /// <summary>The scope returned by <see cref="Disable"/>.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        /// <summary>Ends the no-grad region.</summary>
        public void Dispose() => _disabledDepth--;
    }
}
