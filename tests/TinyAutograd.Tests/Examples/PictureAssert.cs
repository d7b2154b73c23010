using System.Buffers.Binary;
using System.Xml.Linq;
using SkiaSharp;

namespace TinyAutograd.Tests.Examples;

/// <summary>Checks that a file is a real picture, reading the format itself rather than trusting the file name.</summary>
internal static class PictureAssert
{
    private static readonly byte[] s_pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Asserts that <paramref name="path"/> starts with the PNG signature and an IHDR chunk, and that it decodes; returns
    /// the width and height the header states.
    /// </summary>
    public static (int Width, int Height) Png(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path}: {bytes.Length} bytes is too short for a PNG");
        Assert.Equal(s_pngSignature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        int width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4));
        int height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4));
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        return (width, height);
    }

    /// <summary>Asserts that <paramref name="path"/> is an SVG document; returns its root element.</summary>
    public static XElement Svg(string path)
    {
        var root = XDocument.Load(path).Root!;
        Assert.Equal("svg", root.Name.LocalName);
        Assert.Equal("http://www.w3.org/2000/svg", root.Name.NamespaceName);
        return root;
    }

    /// <summary>The colours of the pixels of the PNG at <paramref name="path"/>, with how many pixels have each.</summary>
    public static Dictionary<SKColor, int> Colors(string path)
    {
        using var bitmap = SKBitmap.Decode(path);
        return bitmap.Pixels.GroupBy(pixel => pixel).ToDictionary(group => group.Key, group => group.Count());
    }
}
