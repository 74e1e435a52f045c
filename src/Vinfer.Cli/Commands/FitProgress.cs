using System.Globalization;
using Spectre.Console;
using Vinfer.Inference;

namespace Vinfer.Cli.Commands;

/// <summary>
/// The progress display of a fit on a terminal. A fit that stops on convergence has no known length, so it shows the
/// step count against the cap and the convergence statistic (the relative change of the mean ELBO between successive
/// windows, what the tolerance is compared with) beside a spinner, never a percentage of the cap; a fixed-length fit
/// shows a bar and percentage. The averaging phase is labelled as such, counting its own steps, so the bar never shows
/// more optimization steps than the summary reports. Ctrl-C restores the cursor the display hides: the display is
/// redrawn only from the fit's progress callback (no refresh timer of its own) and under a lock the Ctrl-C handler
/// takes too, so no frame can be drawn after the handler has shown the cursor and the process ends.
/// </summary>
internal static class FitProgress
{
    /// <summary>Steps per window of the convergence statistic (Stan's eval_elbo default).</summary>
    private const int Window = 100;

    /// <summary>Runs <paramref name="fit"/> under the display.</summary>
    public static FitResult Run(Func<Action<SviProgress>, FitResult> fit, int steps, double? tolerance, int averageSteps, string name, string objective)
    {
        FitResult? result = null;
        var drawing = new object();
        bool interrupted = false;
        ConsoleCancelEventHandler restore = (_, _) =>
        {
            lock (drawing)
            {
                interrupted = true;
                RestoreCursor(Console.Out);
            }
        };
        Console.CancelKeyPress += restore;
        try
        {
            bool fixedLength = tolerance is null;
            var columns = fixedLength
                ? new ProgressColumn[] { new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn() }
                : [new SpinnerColumn(), new TaskDescriptionColumn(), new ElapsedTimeColumn()];
            AnsiConsole.Progress().AutoRefresh(false).Columns(columns).Start(ctx =>
            {
                var task = ctx.AddTask(name, maxValue: steps + averageSteps);
                if (!fixedLength) task.IsIndeterminate = true;
                var statistic = new WindowedChange(Window);
                long lastTicks = 0;
                result = fit(p =>
                {
                    bool averaging = averageSteps > 0 && p.Step > p.MaxSteps - averageSteps && (p.MaxSteps != steps || p.Step > steps);
                    if (!averaging) statistic.Add(p.Elbo);
                    long now = Environment.TickCount64;
                    if (now - lastTicks < 100 && p.Step != p.MaxSteps) return;
                    lastTicks = now;
                    task.Value = fixedLength ? p.Step : 0;
                    task.Description = Describe(p, name, objective, tolerance, averaging ? averageSteps : 0, statistic.Change);
                    lock (drawing)
                        if (!interrupted) ctx.Refresh();
                });
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
            });
        }
        finally
        {
            Console.CancelKeyPress -= restore;
        }
        return result!;
    }

    /// <summary>The progress line: optimization step against the cap (or averaging step against its count), objective, statistic, speed.</summary>
    internal static string Describe(SviProgress p, string name, string objective, double? tolerance, int averageSteps, double change)
    {
        var c = CultureInfo.InvariantCulture;
        string where = averageSteps > 0
            ? string.Format(c, "averaging step {0}/{1} (after {2} optimization steps)", p.Step - (p.MaxSteps - averageSteps), averageSteps, p.MaxSteps - averageSteps)
            : tolerance is null ? string.Format(c, "step {0}/{1}", p.Step, p.MaxSteps) : string.Format(c, "step {0} (at most {1})", p.Step, p.MaxSteps);
        string convergence = tolerance is { } t && averageSteps == 0
            ? double.IsNaN(change) ? string.Format(c, "  rel. change n/a (tol {0:G3})", t) : string.Format(c, "  rel. change {0:G2} (tol {1:G3})", change, t)
            : "";
        return Markup.Escape(string.Format(c, "{0}  {1}  {2} {3:G5}{4}  {5:F0} steps/s", name, where, objective, p.Elbo, convergence, p.StepsPerSecond));
    }

    /// <summary>Shows the cursor again (ANSI DECTCEM), which the live display hides.</summary>
    internal static void RestoreCursor(TextWriter terminal)
    {
        terminal.Write("\u001b[?25h");
        terminal.Flush();
    }

    /// <summary>|m_k − m_(k−1)| / |m_k| for the means m of the last two complete windows; NaN before two windows.</summary>
    internal sealed class WindowedChange(int window)
    {
        private double _sum;
        private int _count;
        private double _previous = double.NaN;

        /// <summary>The latest relative change.</summary>
        public double Change { get; private set; } = double.NaN;

        /// <summary>Adds one step's objective value.</summary>
        public void Add(double value)
        {
            if (!double.IsFinite(value)) return;
            _sum += value;
            if (++_count < window) return;
            double mean = _sum / _count;
            if (!double.IsNaN(_previous)) Change = Math.Abs(mean - _previous) / Math.Max(Math.Abs(mean), 1e-300);
            _previous = mean;
            _sum = 0;
            _count = 0;
        }
    }
}
