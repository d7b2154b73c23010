using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks how <see cref="WinogradConvolution.ChooseChunks"/> cuts a batch into chunks, for 8-lane vectors and 16-column
/// micro-panels, against choices worked out by hand: a chunk of <c>t</c> tiles runs ⌈⌈t/8⌉·8/16⌉·16 columns (groups of
/// images: all but the last image's tiles, then the last rounded to vectors), and of the chunkings within 2% of the
/// fewest columns the one nearest 128 tiles is taken.
/// </summary>
public sealed class WinogradChunkingTests
{
    [Theory]
    // 32×32: 16 tile rows of 17. One band of 16 rows runs 272 columns for 272 tiles; every other band height pads
    // (8 rows: 136 tiles in 144 columns, twice), and two images (544 tiles) are past the widest chunk.
    [InlineData(32, 16, 17, 1, 16)]
    // 14×14: 7 rows of 8, 56 tiles an image in 64 columns alone; two images (112), four (224) and six (336) pad
    // nothing, and two are nearest 128 tiles.
    [InlineData(128, 7, 8, 2, 7)]
    // 16×16: 8 rows of 9, 72 tiles in 80 columns alone; two images, 144 tiles in 144 columns.
    [InlineData(128, 8, 9, 2, 8)]
    // 40×40: 20 rows of 21. Bands of 6 rows (126 tiles in 128 columns, three of them, and 2 rows in 48) run 432
    // columns an image, as few as the whole image (420 tiles in 432), and are nearer 128 tiles.
    [InlineData(3, 20, 21, 1, 6)]
    // 8×8: 4 rows of 5, 20 tiles an image. The fewest columns, 2592, come from 19 images a chunk (380 tiles); 7 a chunk
    // (140 tiles: 18 chunks of 144 columns and two images in 48) take 2640, within 2%, and are nearest 128 tiles.
    [InlineData(128, 4, 5, 7, 4)]
    public void TakesTheChunkingNearest128TilesAmongThoseThatPadLeast(int batch, int tileRows, int rowTiles, int images, int rows) =>
        Assert.Equal((images, rows), WinogradConvolution.ChooseChunks(batch, tileRows, rowTiles, lanes: 8, panel: 16));

    [Fact]
    public void CutsARowWiderThanTheWidestChunkIntoBandsOfOneRow() =>
        // 600 tiles a tile row, past the 512 of the widest chunk: nothing but single rows remains.
        Assert.Equal((1, 1), WinogradConvolution.ChooseChunks(2, 3, 600, lanes: 8, panel: 16));
}
