using System.Numerics;

namespace TinyAutograd.Kernels;

/// <summary>
/// Portable 4×4 micro-kernel in plain scalar arithmetic, for hardware without AVX2/FMA and for element types other
/// than float and double. It still benefits from the packing and cache blocking of the driver.
/// </summary>
/// <typeparam name="T">Any IEEE 754 floating-point type.</typeparam>
internal readonly struct GemmMicroKernelScalar<T> : IGemmMicroKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Mr => 4;

    public static int Nr => 4;


    public static unsafe void Run(int kc, T* a, T* b, T* c, nint ldc, bool addToC, T* row)
    {
        T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        T c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero;
        T c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        for (int p = 0; p < kc; p++)
        {
            T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            T s = a[0];
            c00 += s * b0;
            c01 += s * b1;
            c02 += s * b2;
            c03 += s * b3;
            s = a[1];
            c10 += s * b0;
            c11 += s * b1;
            c12 += s * b2;
            c13 += s * b3;
            s = a[2];
            c20 += s * b0;
            c21 += s * b1;
            c22 += s * b2;
            c23 += s * b3;
            s = a[3];
            c30 += s * b0;
            c31 += s * b1;
            c32 += s * b2;
            c33 += s * b3;
            a += 4;
            b += 4;
        }

        StoreRow(c, c00, c01, c02, c03, addToC, row);
        StoreRow(c + ldc, c10, c11, c12, c13, addToC, row);
        StoreRow(c + (2 * ldc), c20, c21, c22, c23, addToC, row);
        StoreRow(c + (3 * ldc), c30, c31, c32, c33, addToC, row);
    }

    private static unsafe void StoreRow(T* c, T v0, T v1, T v2, T v3, bool addToC, T* row)
    {
        if (addToC)
        {
            c[0] += v0;
            c[1] += v1;
            c[2] += v2;
            c[3] += v3;
        }
        else if (row != null)
        {
            c[0] = v0 + row[0];
            c[1] = v1 + row[1];
            c[2] = v2 + row[2];
            c[3] = v3 + row[3];
        }
        else
        {
            c[0] = v0;
            c[1] = v1;
            c[2] = v2;
            c[3] = v3;
        }
    }
}
