using Vinfer.Tensors;

namespace Vinfer.Distributed;

/// <summary>
/// The two conjugate operators that make a model's likelihood data-parallel (the f and g of Shoeybi et al.,
/// "Megatron-LM", 2019, §3, applied to a data split rather than a weight split). Every process holds the same global
/// latent draws and evaluates the likelihood of its own rows only:
/// <see cref="Replicate"/> marks a global tensor entering the local computation (identity forward, gradient summed
/// over processes backward), <see cref="SumOverRanks"/> ends it (value summed over processes forward, gradient passed
/// through backward). Between the two every process computes the full-data log-likelihood and its full-data gradient
/// with respect to the global tensors, so everything downstream (the objective, the optimizer step, convergence
/// checks, draws and their log-densities) is the same on every process and equals the single-process computation up
/// to the order of the floating-point sums.
/// </summary>
public static class DataParallel
{
    /// <summary>
    /// <paramref name="global"/> as an input of a rank-local computation: the same values; in the backward pass the
    /// gradient arriving from each process's local terms is summed over all processes (one allreduce of its length).
    /// </summary>
    public static Tensor Replicate(Tensor global, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1 || !Autograd.ShouldRecord(global)) return global;
        Tensor copy;
        using (GradMode.Disable()) copy = global.Clone();
        return Autograd.Record(copy, new ReplicateBackward(global, communicator));
    }

    /// <summary>
    /// The sum over processes of the rank-local <paramref name="local"/> (one allreduce of its length, also without
    /// gradients); its gradient flows unchanged to each process's local computation.
    /// </summary>
    public static Tensor SumOverRanks(Tensor local, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1) return local;
        Tensor sum;
        using (GradMode.Disable()) sum = local.Clone();
        communicator.AllreduceSum(sum.Span);
        return Autograd.ShouldRecord(local) ? Autograd.Record(sum, new SumOverRanksBackward(local)) : sum;
    }

    private sealed class ReplicateBackward(Tensor global, ICommunicator communicator) : GradNode(global)
    {
        public override void Backward(Tensor output, Tensor gradOutput)
        {
            var total = gradOutput.Clone();
            communicator.AllreduceSum(total.Span);
            Autograd.AccumulateOwned(Inputs[0], total);
        }
    }

    private sealed class SumOverRanksBackward(Tensor local) : GradNode(local)
    {
        public override void Backward(Tensor output, Tensor gradOutput) => Autograd.Accumulate(Inputs[0], gradOutput);
    }
}
