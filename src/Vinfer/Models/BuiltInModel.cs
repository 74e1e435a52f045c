using Vinfer.Data;

namespace Vinfer.Models;

/// <summary>
/// A model shipped with Vinfer, addressable by name from the command line. Adding one is one file: a sealed
/// subclass with a public parameterless constructor; <see cref="ModelRegistry"/> finds it by reflection in its assembly.
/// </summary>
public abstract class BuiltInModel
{
    /// <summary>The name users type (<c>vinfer fit NAME</c>), unique among built-in models.</summary>
    public abstract string Name { get; }

    /// <summary>One line saying what the model is.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The data fields the model reads (what <c>vinfer models</c> lists). By default the fields of the bundled data;
    /// models without bundled data name theirs.
    /// </summary>
    public virtual IReadOnlyList<string> DataFields => BundledData?.Names.ToArray() ?? [];

    /// <summary>The data used when the user gives none, or null when the model needs data.</summary>
    public virtual StanData? BundledData => null;

    /// <summary>
    /// The model program bound to <paramref name="data"/>. Throws <see cref="DataFormatException"/> naming the field
    /// when a field is missing, has the wrong shape, or holds a value outside its domain (NaN, a negative scale…).
    /// </summary>
    public abstract Action Bind(StanData data);

    /// <summary>
    /// Data from a CSV table (one row per observation): by default every column as a vector field plus <c>N</c>.
    /// Models whose data are not plain columns override this (the regression models read <c>y</c> and a design matrix).
    /// </summary>
    public virtual StanData FromTable(CsvTable table) => table.ToStanData();
}
