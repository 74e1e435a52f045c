using System.Text;

namespace Vinfer.Inference;

/// <summary>Stan's names for the scalar entries of an array parameter: <c>theta[1]</c>, <c>L[2,1]</c> (1-based, row-major).</summary>
public static class StanNames
{
    /// <summary>The names of the entries of a parameter of this shape, in row-major order (the name itself for a scalar).</summary>
    public static string[] Expand(string name, ReadOnlySpan<int> shape)
    {
        int count = Tensors.Kernels.Shapes.Count(shape);
        if (shape.Length == 0) return [name];
        var names = new string[count];
        var index = new int[shape.Length];
        var sb = new StringBuilder();
        for (int k = 0; k < count; k++)
        {
            sb.Clear().Append(name).Append('[');
            for (int i = 0; i < index.Length; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(index[i] + 1);
            }
            names[k] = sb.Append(']').ToString();
            for (int i = index.Length - 1; i >= 0; i--)
            {
                if (++index[i] < shape[i]) break;
                index[i] = 0;
            }
        }
        return names;
    }
}
