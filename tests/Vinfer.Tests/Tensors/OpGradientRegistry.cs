using Vinfer.Tensors;

namespace Vinfer.Tests.Tensors;

/// <summary>
/// The one list every differentiable op of <see cref="Tensor"/> goes through (Stan Math's test-framework idea):
/// each entry names the op by its public signature and builds, from a seeded random generator, a random-shaped
/// instance (function + inputs) whose vector-Jacobian product <see cref="OpCoverageTests"/> checks against central
/// finite differences. Adding an op means adding an entry here; <see cref="OpCoverageTests"/> fails until one exists.
/// </summary>
internal static class OpGradientRegistry
{
    /// <summary>One gradient-check case: the op's signature (as reflection prints it), a label, an instance builder.</summary>
    internal sealed record Case(string Op, string Label, Func<System.Random, Instance> Make, double Tolerance = 1e-6);

    /// <summary>A function of some tensors and the point at which to check its gradient.</summary>
    internal sealed record Instance(Func<Tensor[], Tensor> F, params Tensor[] Inputs);

    /// <summary>Public ops of Tensor that return a tensor but have no gradient (factories, comparisons, graph cuts).</summary>
    internal static readonly HashSet<string> NonDifferentiable =
    [
        "Zeros(Int32[])", "Ones(Int32[])", "Full(Double,Int32[])", "Scalar(Double)", "FromArray(ReadOnlySpan`1,Int32[])",
        "FromArray(Double[,])", "Wrap(Double[],Int32[])", "Parameter(ReadOnlySpan`1,Int32[])", "Arange(Int32)", "Eye(Int32)",
        "Detach()", "Clone()", "Greater(Tensor)", "GreaterOrEqual(Tensor)", "Less(Tensor)", "EqualTo(Tensor)", "get_Grad()",
    ];

    public static IReadOnlyList<Case> All { get; } = Build();

    // ---- random data ----

    internal static int[] RandomShape(System.Random rng, int minRank, int maxRank, int maxDim = 4)
    {
        var s = new int[rng.Next(minRank, maxRank + 1)];
        for (int i = 0; i < s.Length; i++) s[i] = rng.Next(1, maxDim + 1);
        return s;
    }

    internal static Tensor U(System.Random rng, double low, double high, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = low + (high - low) * rng.NextDouble();
        return t;
    }

    /// <summary>Values of magnitude in [0.2, 2] with random signs (away from the kinks of abs and friends).</summary>
    internal static Tensor Signed(System.Random rng, params int[] shape)
    {
        var t = U(rng, 0.2, 2, shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) if (rng.Next(2) == 0) s[i] = -s[i];
        return t;
    }

    /// <summary>A shape that broadcasts against <paramref name="shape"/>: some leading axes dropped, some dimensions set to 1.</summary>
    internal static int[] BroadcastPartner(System.Random rng, int[] shape)
    {
        int drop = rng.Next(0, shape.Length + 1);
        var s = shape[drop..];
        for (int i = 0; i < s.Length; i++) if (rng.Next(3) == 0) s[i] = 1;
        return s;
    }

    internal static Tensor Indices(System.Random rng, int bound, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = rng.Next(bound);
        return t;
    }

    /// <summary>B Bᵀ + n I over the last two axes (no matmul op needed): always symmetric positive definite.</summary>
    internal static Tensor Spd(Tensor b)
    {
        int n = b.Dim(-2);
        return (b.Unsqueeze(-2) * b.Unsqueeze(-3)).Sum(-1) + Tensor.Eye(n) * n;
    }

    /// <summary>A well-conditioned triangular-ish matrix: entries in [−½, ½] plus 1.5 on the diagonal (both triangles filled).</summary>
    internal static Tensor Triangular(System.Random rng, params int[] shape)
    {
        int n = shape[^1];
        var t = U(rng, -0.5, 0.5, shape);
        var s = t.Span;
        for (int b = 0; b < t.Count / (n * n); b++)
            for (int i = 0; i < n; i++) s[b * n * n + i * n + i] += 1.5 * (rng.Next(2) == 0 ? 1 : -1);
        return t;
    }

    private static int Axis(System.Random rng, int rank) => rng.Next(-rank, rank);

    private static List<Case> Build()
    {
        var c = new List<Case>();
        void Add(string op, string label, Func<System.Random, Instance> make, double tol = 1e-6) => c.Add(new Case(op, label, make, tol));

        // ---- elementwise binary, broadcasting ----
        foreach (var (op, f) in new (string, Func<Tensor, Tensor, Tensor>)[]
        {
            ("op_Addition(Tensor,Tensor)", (a, b) => a + b), ("op_Subtraction(Tensor,Tensor)", (a, b) => a - b),
            ("op_Multiply(Tensor,Tensor)", (a, b) => a * b), ("op_Division(Tensor,Tensor)", (a, b) => a / b),
            ("Pow(Tensor)", (a, b) => a.Pow(b)), ("Maximum(Tensor)", (a, b) => a.Maximum(b)), ("Minimum(Tensor)", (a, b) => a.Minimum(b)),
        })
        {
            Add(op, op + " broadcast", rng =>
            {
                var sa = RandomShape(rng, 0, 3);
                var sb = BroadcastPartner(rng, sa);
                if (rng.Next(2) == 0) (sa, sb) = (sb, sa);
                return new Instance(t => f(t[0], t[1]), U(rng, 0.5, 2, sa), U(rng, 0.5, 2, sb));
            });
        }
        Add("Where(Tensor,Tensor,Tensor)", "where broadcast", rng =>
        {
            var s = RandomShape(rng, 1, 3);
            var cond = Indices(rng, 2, BroadcastPartner(rng, s));
            return new Instance(t => Tensor.Where(cond, t[0], t[1]), U(rng, -1, 1, s), U(rng, -1, 1, BroadcastPartner(rng, s)));
        });

        // ---- scalar operands ----
        foreach (var (op, f) in new (string, Func<Tensor, Tensor>)[]
        {
            ("op_Addition(Tensor,Double)", x => x + 1.5), ("op_Addition(Double,Tensor)", x => 1.5 + x),
            ("op_Subtraction(Tensor,Double)", x => x - 1.5), ("op_Subtraction(Double,Tensor)", x => 1.5 - x),
            ("op_Multiply(Tensor,Double)", x => x * -2.5), ("op_Multiply(Double,Tensor)", x => -2.5 * x),
            ("op_Division(Tensor,Double)", x => x / 3.0), ("op_Division(Double,Tensor)", x => 3.0 / x),
            ("Pow(Double)", x => x.Pow(-1.5)), ("Clamp(Double,Double)", x => x.Clamp(0.7, 1.9)),
            ("Maximum(Double)", x => x.Maximum(1.1)), ("Minimum(Double)", x => x.Minimum(1.1)),
        })
            Add(op, op, rng => new Instance(t => f(t[0]), U(rng, 0.3, 2.5, RandomShape(rng, 0, 3))));

        // ---- unary ----
        foreach (var (op, f, lo, hi) in new (string, Func<Tensor, Tensor>, double, double)[]
        {
            ("Neg()", x => x.Neg(), -2, 2), ("op_UnaryNegation(Tensor)", x => -x, -2, 2), ("Exp()", x => x.Exp(), -2, 2),
            ("Log()", x => x.Log(), 0.3, 2.5), ("Log1p()", x => x.Log1p(), -0.5, 2), ("Expm1()", x => x.Expm1(), -2, 2),
            ("Sqrt()", x => x.Sqrt(), 0.3, 2.5), ("Square()", x => x.Square(), -2, 2), ("Reciprocal()", x => x.Reciprocal(), 0.3, 2.5),
            ("Tanh()", x => x.Tanh(), -2, 2), ("Sigmoid()", x => x.Sigmoid(), -4, 4), ("Softplus()", x => x.Softplus(), -4, 4),
            ("LogSigmoid()", x => x.LogSigmoid(), -4, 4), ("LogGamma()", x => x.LogGamma(), 0.3, 4), ("Digamma()", x => x.Digamma(), 0.3, 4),
            ("Erf()", x => x.Erf(), -2, 2), ("NormalCdf()", x => x.NormalCdf(), -3, 3), ("LogNormalCdf()", x => x.LogNormalCdf(), -6, 3),
            ("LogBesselI0()", x => x.LogBesselI0(), -6, 6), ("BesselI1OverI0()", x => x.BesselI1OverI0(), -6, 6), ("Sin()", x => x.Sin(), -4, 4), ("Cos()", x => x.Cos(), -4, 4),
        })
            Add(op, op, rng => new Instance(t => f(t[0]), U(rng, lo, hi, RandomShape(rng, 0, 3))));
        Add("LogBesselI0()", "LogBesselI0() asymptotic branch", rng => new Instance(t => t[0].LogBesselI0(), U(rng, 20, 80, RandomShape(rng, 0, 3))));
        Add("BesselI1OverI0()", "BesselI1OverI0() asymptotic branch", rng => new Instance(t => t[0].BesselI1OverI0(), U(rng, 20, 80, RandomShape(rng, 0, 3))));
        Add("Abs()", "Abs() both signs", rng => new Instance(t => t[0].Abs(), Signed(rng, RandomShape(rng, 0, 3))));

        // ---- reductions ----
        Add("Sum()", "Sum()", rng => new Instance(t => t[0].Sum(), U(rng, -2, 2, RandomShape(rng, 0, 3))));
        Add("Mean()", "Mean()", rng => new Instance(t => t[0].Mean(), U(rng, -2, 2, RandomShape(rng, 0, 3))));
        Add("Max()", "Max()", rng => new Instance(t => t[0].Max(), U(rng, -2, 2, RandomShape(rng, 1, 3))));
        Add("LogSumExp()", "LogSumExp()", rng => new Instance(t => t[0].LogSumExp(), U(rng, -2, 2, RandomShape(rng, 1, 3))));
        foreach (var (op, f) in new (string, Func<Tensor, int, bool, Tensor>)[]
        {
            ("Sum(Int32,Boolean)", (x, a, k) => x.Sum(a, k)), ("Mean(Int32,Boolean)", (x, a, k) => x.Mean(a, k)),
            ("Max(Int32,Boolean)", (x, a, k) => x.Max(a, k)), ("Min(Int32,Boolean)", (x, a, k) => x.Min(a, k)),
            ("LogSumExp(Int32,Boolean)", (x, a, k) => x.LogSumExp(a, k)),
            ("LogSoftmax(Int32)", (x, a, _) => x.LogSoftmax(a)), ("Softmax(Int32)", (x, a, _) => x.Softmax(a)),
        })
            Add(op, op, rng =>
            {
                var s = RandomShape(rng, 1, 3);
                int axis = Axis(rng, s.Length); bool keep = rng.Next(2) == 0;
                return new Instance(t => f(t[0], axis, keep), U(rng, -2, 2, s));
            });
        Add("Sum(Int32[],Boolean)", "Sum(axes)", rng =>
        {
            var s = RandomShape(rng, 2, 3); bool keep = rng.Next(2) == 0;
            return new Instance(t => t[0].Sum([0, -1], keep), U(rng, -2, 2, s));
        });

        // ---- shape ops ----
        Add("Reshape(Int32[])", "Reshape", rng =>
        {
            var s = RandomShape(rng, 1, 3);
            return new Instance(t => t[0].Reshape(-1) * Tensor.Arange(t[0].Count), U(rng, -2, 2, s));
        });
        Add("Unsqueeze(Int32)", "Unsqueeze", rng => new Instance(t => t[0].Unsqueeze(-1), U(rng, -2, 2, RandomShape(rng, 0, 3))));
        Add("Squeeze(Int32)", "Squeeze", rng =>
        {
            var s = RandomShape(rng, 1, 3); int axis = rng.Next(s.Length); s[axis] = 1;
            return new Instance(t => t[0].Squeeze(axis), U(rng, -2, 2, s));
        });
        Add("Permute(Int32[])", "Permute", rng => new Instance(t => t[0].Permute(2, 0, 1), U(rng, -2, 2, RandomShape(rng, 3, 3))));
        Add("Transpose(Int32,Int32)", "Transpose", rng => new Instance(t => t[0].Transpose(0, -1), U(rng, -2, 2, RandomShape(rng, 2, 3))));
        Add("get_MT()", "MT", rng => new Instance(t => t[0].MT, U(rng, -2, 2, RandomShape(rng, 2, 3, maxDim: 40))));
        Add("Expand(Int32[])", "Expand", rng =>
        {
            var s = RandomShape(rng, 1, 3);
            var small = BroadcastPartner(rng, s);
            return new Instance(t => t[0].Expand(s), U(rng, -2, 2, small));
        });
        Add("SumToShape(Int32[])", "SumToShape", rng =>
        {
            var s = RandomShape(rng, 1, 3);
            var small = BroadcastPartner(rng, s);
            return new Instance(t => t[0].SumToShape(small), U(rng, -2, 2, s));
        });

        // ---- indexing ----
        Add("Narrow(Int32,Int32,Int32)", "Narrow", rng =>
        {
            var s = RandomShape(rng, 1, 3); int axis = Axis(rng, s.Length);
            int n = s[axis < 0 ? axis + s.Length : axis]; int start = rng.Next(n); int len = rng.Next(0, n - start + 1);
            return new Instance(t => t[0].Narrow(axis, start, len), U(rng, -2, 2, s));
        });
        Add("Slice(Range[])", "Slice", rng =>
        {
            var s = RandomShape(rng, 2, 3, maxDim: 5);
            return new Instance(t => t[0].Slice(1.., ..^1), U(rng, -2, 2, s));
        });
        Add("IndexSelect(Int32,Int32[])", "IndexSelect repeated", rng =>
        {
            var s = RandomShape(rng, 1, 3); int axis = Axis(rng, s.Length); int n = s[axis < 0 ? axis + s.Length : axis];
            var idx = new int[rng.Next(1, 8)];
            for (int i = 0; i < idx.Length; i++) idx[i] = rng.Next(n);
            return new Instance(t => t[0].IndexSelect(axis, idx), U(rng, -2, 2, s));
        });
        Add("IndexSelect(Int32,Tensor)", "IndexSelect tensor index", rng =>
        {
            var s = RandomShape(rng, 1, 3); int axis = Axis(rng, s.Length); int n = s[axis < 0 ? axis + s.Length : axis];
            var idx = Indices(rng, n, RandomShape(rng, 1, 2));
            return new Instance(t => t[0].IndexSelect(axis, idx), U(rng, -2, 2, s));
        });
        Add("IndexAdd(Int32,Int32[],Tensor)", "IndexAdd", rng =>
        {
            var s = RandomShape(rng, 1, 3); int axis = rng.Next(s.Length);
            var idx = new int[rng.Next(1, 6)];
            for (int i = 0; i < idx.Length; i++) idx[i] = rng.Next(s[axis]);
            var ss = (int[])s.Clone(); ss[axis] = idx.Length;
            return new Instance(t => t[0].IndexAdd(axis, idx, t[1]), U(rng, -2, 2, s), U(rng, -2, 2, ss));
        });
        Add("Gather(Int32,Tensor)", "Gather", rng =>
        {
            var s = RandomShape(rng, 1, 3); int axis = Axis(rng, s.Length); int a = axis < 0 ? axis + s.Length : axis;
            var si = new int[s.Length];
            for (int i = 0; i < s.Length; i++) si[i] = i == a ? rng.Next(1, 6) : rng.Next(1, s[i] + 1);
            var idx = Indices(rng, s[a], si);
            return new Instance(t => t[0].Gather(axis, idx), U(rng, -2, 2, s));
        });
        Add("ScatterAdd(Int32,Tensor,Tensor)", "ScatterAdd", rng =>
        {
            var s = RandomShape(rng, 1, 3); int a = rng.Next(s.Length);
            var si = new int[s.Length];
            for (int i = 0; i < s.Length; i++) si[i] = i == a ? rng.Next(1, 6) : rng.Next(1, s[i] + 1);
            var idx = Indices(rng, s[a], si);
            return new Instance(t => t[0].ScatterAdd(a, idx, t[1]), U(rng, -2, 2, s), U(rng, -2, 2, si));
        });
        Add("MaskedFill(Tensor,Double)", "MaskedFill", rng =>
        {
            var s = RandomShape(rng, 1, 3);
            var mask = Indices(rng, 2, BroadcastPartner(rng, s));
            return new Instance(t => t[0].MaskedFill(mask, -7), U(rng, -2, 2, s));
        });

        // ---- joining and scans ----
        Add("Concat(Int32,Tensor[])", "Concat", rng =>
        {
            var s = RandomShape(rng, 1, 3); int axis = Axis(rng, s.Length); int a = axis < 0 ? axis + s.Length : axis;
            var s2 = (int[])s.Clone(); s2[a] = rng.Next(1, 4);
            return new Instance(t => Tensor.Concat(axis, t[0], t[1], t[0]), U(rng, -2, 2, s), U(rng, -2, 2, s2));
        });
        Add("Stack(Int32,Tensor[])", "Stack", rng =>
        {
            var s = RandomShape(rng, 0, 3); int axis = rng.Next(-s.Length - 1, s.Length + 1);
            return new Instance(t => Tensor.Stack(axis, t[0], t[1]), U(rng, -2, 2, s), U(rng, -2, 2, s));
        });
        Add("Split(Int32[],Int32)", "Split", rng =>
        {
            var s = RandomShape(rng, 1, 3); int a = rng.Next(s.Length); s[a] += 2; int first = rng.Next(s[a] + 1);
            return new Instance(t =>
            {
                var parts = t[0].Split([first, s[a] - first], a);
                return Tensor.Concat(a, parts[1], parts[0] * 2.0);
            }, U(rng, -2, 2, s));
        });
        Add("Chunk(Int32,Int32)", "Chunk", rng =>
        {
            var s = RandomShape(rng, 1, 3, maxDim: 6); int a = rng.Next(s.Length); int chunks = rng.Next(1, 4);
            return new Instance(t =>
            {
                var parts = t[0].Chunk(chunks, a);
                for (int i = 0; i < parts.Length; i++) parts[i] = parts[i] * (i + 1.0);
                return Tensor.Concat(a, parts);
            }, U(rng, -2, 2, s));
        });
        Add("CumSum(Int32)", "CumSum", rng =>
        {
            var s = RandomShape(rng, 1, 3, maxDim: 5); int axis = Axis(rng, s.Length);
            return new Instance(t => t[0].CumSum(axis), U(rng, -2, 2, s));
        });
        Add("Flip(Int32)", "Flip", rng =>
        {
            var s = RandomShape(rng, 1, 3, maxDim: 5); int axis = Axis(rng, s.Length);
            return new Instance(t => t[0].Flip(axis), U(rng, -2, 2, s));
        });

        // ---- matrix structure ----
        Add("Diagonal()", "Diagonal", rng => new Instance(t => t[0].Diagonal(), U(rng, -2, 2, RandomShape(rng, 2, 4))));
        Add("DiagEmbed()", "DiagEmbed", rng => new Instance(t => t[0].DiagEmbed(), U(rng, -2, 2, RandomShape(rng, 1, 3))));
        Add("Tril(Int32)", "Tril", rng =>
        {
            int offset = rng.Next(-2, 3);
            return new Instance(t => t[0].Tril(offset), U(rng, -2, 2, RandomShape(rng, 2, 3, maxDim: 5)));
        });
        Add("Triu(Int32)", "Triu", rng =>
        {
            int offset = rng.Next(-2, 3);
            return new Instance(t => t[0].Triu(offset), U(rng, -2, 2, RandomShape(rng, 2, 3, maxDim: 5)));
        });

        // ---- linear algebra: inputs made SPD through B Bᵀ + n I, or checked directly on an SPD point ----
        Add("Cholesky()", "Cholesky of B Bᵀ + nI (batched)", rng =>
        {
            var s = RandomShape(rng, 2, 3, maxDim: 4); s[^1] = s[^2];
            return new Instance(t => Spd(t[0]).Cholesky(), U(rng, -1, 1, s));
        }, 1e-5);
        Add("Cholesky()", "Cholesky at an SPD point (lower triangle read)", rng =>
        {
            int n = rng.Next(1, 5);
            Tensor a;
            using (Vinfer.Tensors.GradMode.Disable()) a = Spd(U(rng, -1, 1, n, n));
            return new Instance(t => t[0].Cholesky(), a);
        }, 1e-5);
        Add("TriangularSolve(Tensor,Tensor,Boolean,Boolean)", "TriangularSolve all variants, batch broadcast", rng =>
        {
            int n = rng.Next(1, 5), m = rng.Next(1, 4);
            bool lower = rng.Next(2) == 0, transpose = rng.Next(2) == 0;
            int[] ts = rng.Next(2) == 0 ? [n, n] : [2, n, n];
            int[] bs = rng.Next(2) == 0 ? [n, m] : [2, n, m];
            return new Instance(t => Tensor.TriangularSolve(t[0], t[1], lower, transpose), Triangular(rng, ts), U(rng, -2, 2, bs));
        }, 1e-5);
        Add("TriangularSolve(Tensor,Tensor,Boolean,Boolean)", "TriangularSolve vector rhs", rng =>
        {
            int n = rng.Next(1, 5);
            return new Instance(t => Tensor.TriangularSolve(t[0], t[1], lower: false, transpose: true), Triangular(rng, n, n), U(rng, -2, 2, n));
        }, 1e-5);
        Add("CholeskySolve(Tensor,Tensor)", "CholeskySolve", rng =>
        {
            int n = rng.Next(1, 5), m = rng.Next(1, 3);
            return new Instance(t => Tensor.CholeskySolve(Spd(t[0]).Cholesky(), t[1]), U(rng, -1, 1, 2, n, n), U(rng, -2, 2, 2, n, m));
        }, 1e-5);
        Add("LogDetFromCholesky()", "LogDetFromCholesky", rng =>
        {
            var s = RandomShape(rng, 2, 3, maxDim: 4); s[^1] = s[^2];
            return new Instance(t => t[0].LogDetFromCholesky(), Triangular(rng, s).Abs());
        });
        Add("LogDet()", "LogDet of B Bᵀ + nI", rng =>
        {
            var s = RandomShape(rng, 2, 3, maxDim: 4); s[^1] = s[^2];
            return new Instance(t => Spd(t[0]).LogDet(), U(rng, -1, 1, s));
        }, 1e-5);

        // ---- matrix product: MatMul comes from another branch (matmul); the entry switches on once the op exists,
        // so this registry stays complete whichever branch is merged first ----
        var matMul = typeof(Tensor).GetMethod("MatMul", [typeof(Tensor)]);
        if (matMul is not null)
        {
            Tensor MatMul(Tensor a, Tensor b) => (Tensor)matMul.Invoke(a, [b])!;
            Add("MatMul(Tensor)", "MatMul batched, broadcast batch", rng =>
            {
                int m = rng.Next(1, 5), k = rng.Next(1, 5), n = rng.Next(1, 5);
                int[] sa = rng.Next(2) == 0 ? [m, k] : [2, m, k];
                int[] sb = rng.Next(2) == 0 ? [k, n] : [2, k, n];
                return new Instance(t => MatMul(t[0], t[1]), U(rng, -2, 2, sa), U(rng, -2, 2, sb));
            });
            Add("MatMul(Tensor)", "MatMul with vectors", rng =>
            {
                int m = rng.Next(1, 5), k = rng.Next(1, 5);
                return new Instance(t => Tensor.Concat(0, MatMul(t[0], t[1]), MatMul(t[2], t[0]), MatMul(t[1], t[1]).Reshape(1)), U(rng, -2, 2, m, k), U(rng, -2, 2, k), U(rng, -2, 2, m));
            });
        }
        // ---- neural-network ops ----
        foreach (var (op, f) in new (string, Func<Tensor, Tensor>)[]
        {
            ("Relu()", x => x.Relu()), ("Silu()", x => x.Silu()), ("LeakyRelu(Double)", x => x.LeakyRelu(0.2)),
            ("Elu(Double)", x => x.Elu(1.3)),
        })
            Add(op, op + " both signs", rng => new Instance(t => f(t[0]), Signed(rng, RandomShape(rng, 0, 3))));
        Add("Linear(Tensor,Tensor)", "Linear with bias, leading dims", rng =>
        {
            int input = rng.Next(1, 5), output = rng.Next(1, 5);
            var lead = RandomShape(rng, 0, 2);
            return new Instance(t => t[0].Linear(t[1], t[2]), U(rng, -2, 2, [.. lead, input]), U(rng, -2, 2, output, input), U(rng, -2, 2, output));
        });
        Add("Linear(Tensor,Tensor)", "Linear without bias", rng =>
        {
            int input = rng.Next(1, 5), output = rng.Next(1, 5);
            return new Instance(t => t[0].Linear(t[1]), U(rng, -2, 2, rng.Next(1, 4), input), U(rng, -2, 2, output, input));
        });
        Add("LayerNorm(Tensor,Tensor,Double)", "LayerNorm over the last axis", rng =>
        {
            int n = rng.Next(2, 6);
            var lead = RandomShape(rng, 0, 2);
            return new Instance(t => t[0].LayerNorm(t[1], t[2], 1e-3), U(rng, -2, 2, [.. lead, n]), U(rng, 0.5, 2, n), U(rng, -1, 1, n));
        });
        Add("Attention(Tensor,Tensor,Int32)", "Attention, several heads, batch", rng =>
        {
            int heads = rng.Next(1, 3), nq = rng.Next(1, 4), nk = rng.Next(1, 4), e = heads * rng.Next(1, 3), ev = heads * rng.Next(1, 3);
            int[] lead = rng.Next(2) == 0 ? [] : [2];
            return new Instance(t => t[0].Attention(t[1], t[2], heads), U(rng, -1.5, 1.5, [.. lead, nq, e]), U(rng, -1.5, 1.5, [.. lead, nk, e]), U(rng, -2, 2, [.. lead, nk, ev]));
        });
        Add("Conv2d(Tensor,Tensor,Int32,Int32)", "Conv2d stride and padding", rng =>
        {
            int n = rng.Next(1, 3), c = rng.Next(1, 3), o = rng.Next(1, 3), k = rng.Next(1, 4), stride = rng.Next(1, 3), pad = rng.Next(0, 2);
            int h = k + rng.Next(0, 4), w = k + rng.Next(0, 4);
            return rng.Next(3) == 0
                ? new Instance(t => t[0].Conv2d(t[1], null, stride, pad), U(rng, -1, 1, n, c, h, w), U(rng, -1, 1, o, c, k, k))
                : new Instance(t => t[0].Conv2d(t[1], t[2], stride, pad), U(rng, -1, 1, n, c, h, w), U(rng, -1, 1, o, c, k, k), U(rng, -1, 1, o));
        });
        Add("BernoulliLogProb(Tensor)", "Bernoulli log-likelihood by logits, value broadcast over leading axes", rng =>
        {
            var shape = RandomShape(rng, 1, 3);
            int drop = rng.Next(0, shape.Length);
            var value = U(rng, 0, 1, shape[drop..]);
            return new Instance(t => t[0].BernoulliLogProb(t[1]), U(rng, -4, 4, shape), value);
        });
        return c;
    }
}
