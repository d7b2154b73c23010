namespace TinyAutograd.Examples.Charts;

/// <summary>The file format of the pictures the demonstrations write.</summary>
internal enum PictureFormat
{
    /// <summary>Portable Network Graphics: a bitmap that every viewer and package page shows.</summary>
    Png,

    /// <summary>Scalable Vector Graphics: sharp at any zoom, and editable.</summary>
    Svg,
}
