namespace DqnStudy.Nn.Kernels;

/// <summary>
/// One torch.nn.Conv2d (dilation 1, groups 1, zero padding) on one image: x (InChannels, Height, Width),
/// w (OutChannels, InChannels, KernelH, KernelW), y (OutChannels, OutHeight, OutWidth), all row-major (NCHW per
/// sample). Out = floor((In + 2·pad − kernel) / stride) + 1 per axis. The constructor rejects every shape torch
/// rejects, with the sizes in the message.
/// </summary>
public readonly record struct Conv2dShape
{
    public Conv2dShape(int inChannels, int height, int width, int outChannels,
                       int kernelH, int kernelW, int strideH = 1, int strideW = 1, int paddingH = 0, int paddingW = 0)
    {
        Shapes.RequirePositive(inChannels, nameof(inChannels));
        Shapes.RequirePositive(height, nameof(height));
        Shapes.RequirePositive(width, nameof(width));
        Shapes.RequirePositive(outChannels, nameof(outChannels));
        Shapes.RequirePositive(kernelH, nameof(kernelH));
        Shapes.RequirePositive(kernelW, nameof(kernelW));
        Shapes.RequirePositive(strideH, nameof(strideH));
        Shapes.RequirePositive(strideW, nameof(strideW));
        Shapes.RequireNonNegative(paddingH, nameof(paddingH));
        Shapes.RequireNonNegative(paddingW, nameof(paddingW));
        RequireFits(height, kernelH, paddingH, "height", "kernelH", "paddingH");
        RequireFits(width, kernelW, paddingW, "width", "kernelW", "paddingW");
        long inputSize = (long)inChannels * height * width;
        long outHeight = (height + 2L * paddingH - kernelH) / strideH + 1;
        long outWidth = (width + 2L * paddingW - kernelW) / strideW + 1;
        long outputSize = outChannels * outHeight * outWidth;
        long columnRows = (long)inChannels * kernelH * kernelW;
        if (Math.Max(inputSize, Math.Max(outputSize, columnRows * Math.Max(outChannels, outHeight * outWidth))) > Array.MaxLength)
        {
            throw new ArgumentException(
                $"A convolution of {inChannels}×{height}×{width} into {outChannels}×{outHeight}×{outWidth} is larger than an array holds.");
        }
        InChannels = inChannels;
        Height = height;
        Width = width;
        OutChannels = outChannels;
        KernelH = kernelH;
        KernelW = kernelW;
        StrideH = strideH;
        StrideW = strideW;
        PaddingH = paddingH;
        PaddingW = paddingW;
        OutHeight = (int)outHeight;
        OutWidth = (int)outWidth;
    }

    public int InChannels { get; }

    public int Height { get; }

    public int Width { get; }

    public int OutChannels { get; }

    public int KernelH { get; }

    public int KernelW { get; }

    public int StrideH { get; }

    public int StrideW { get; }

    public int PaddingH { get; }

    public int PaddingW { get; }

    public int OutHeight { get; }

    public int OutWidth { get; }

    /// <summary>C·H·W: one sample of x.</summary>
    public int InputSize => InChannels * Height * Width;

    /// <summary>O·Ho·Wo: one sample of y.</summary>
    public int OutputSize => OutChannels * OutHeight * OutWidth;

    /// <summary>Ho·Wo: the positions one filter visits.</summary>
    public int OutPlane => OutHeight * OutWidth;

    /// <summary>C·kH·kW: one filter's weights, torch's fan_in, and the rows of an im2col matrix.</summary>
    public int FanIn => InChannels * KernelH * KernelW;

    /// <summary>O·C·kH·kW.</summary>
    public int WeightSize => OutChannels * FanIn;

    /// <summary>"4×10×10 → conv 16 3×3 stride 1×1 pad 0×0 → 16×8×8".</summary>
    public override string ToString() =>
        $"{InChannels}×{Height}×{Width} → conv {OutChannels} {KernelH}×{KernelW} stride {StrideH}×{StrideW} " +
        $"pad {PaddingH}×{PaddingW} → {OutChannels}×{OutHeight}×{OutWidth}";

    private static void RequireFits(int size, int kernel, int padding, string sizeName, string kernelName, string paddingName)
    {
        if (kernel > size + 2L * padding)
        {
            throw new ArgumentException(
                $"{kernelName} is {kernel} but the padded input is only {size + 2L * padding} ({sizeName} {size} + 2·{paddingName} {padding}): " +
                "the kernel does not fit, so the output would be empty.", kernelName);
        }
    }
}
