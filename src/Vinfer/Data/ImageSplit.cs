namespace Vinfer.Data;

/// <summary>Training, validation and test image sets of one data set.</summary>
public sealed record ImageSplit(ImageSet Train, ImageSet Validation, ImageSet Test);
