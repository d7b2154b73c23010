using System.Globalization;
using System.IO.Compression;

namespace TinyAutograd.Examples.Datasets;

/// <summary>
/// The UCI 8×8 handwritten digits (1,797 images), shipped inside this program (Data/digits.csv.gz; origin and
/// license in Data/NOTICE.md).
/// </summary>
internal static class DigitsData
{
    private const int Pixels = 64;
    private const double MaximumPixel = 16;

    /// <summary>Loads the digits; pixel values 0..16 are scaled to [0, 1].</summary>
    public static LabelledData Load()
    {
        using var resource = typeof(DigitsData).Assembly.GetManifestResourceStream("TinyAutograd.Examples.Data.digits.csv.gz")
            ?? throw new InvalidOperationException("digits: the embedded resource Data/digits.csv.gz is missing from the build.");
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress));
        var features = new List<float>();
        var labels = new List<int>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var fields = line.Split(',');
            if (fields.Length != Pixels + 1)
            {
                throw new InvalidDataException($"digits: line {lineNumber} has {fields.Length} fields; expected {Pixels} pixels and a label.");
            }
            for (int i = 0; i < Pixels; i++)
            {
                features.Add((float)(double.Parse(fields[i], CultureInfo.InvariantCulture) / MaximumPixel));
            }
            labels.Add(int.Parse(fields[Pixels], CultureInfo.InvariantCulture));
        }
        return new LabelledData(features.ToArray(), labels.ToArray(), Pixels, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    }
}
