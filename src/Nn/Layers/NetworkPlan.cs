using DqnStudy.Nn.Kernels;

namespace DqnStudy.Nn.Layers;

/// <summary>
/// An <see cref="Mlp"/>'s layer list checked against its input before anything is allocated: what reaches each layer
/// (an image or a vector), each layer's name (conv1…, act1…, flatten1, fc1…), each convolution's shape, and the
/// parameter tensors in order. A layer that cannot take what reaches it fails here, naming the layer and the shapes.
/// </summary>
internal sealed class NetworkPlan
{
    private NetworkPlan(int count)
    {
        Names = new string[count];
        Widths = new int[count];
        Images = new ImageShape?[count];
        ConvShapes = new Conv2dShape[count];
    }

    public string[] Names { get; }

    /// <summary>[i]: the number of values per sample reaching layer i.</summary>
    public int[] Widths { get; }

    /// <summary>[i]: the image reaching layer i, or null when it is a vector.</summary>
    public ImageShape?[] Images { get; }

    /// <summary>[i]: layer i's convolution (Conv2d layers only).</summary>
    public Conv2dShape[] ConvShapes { get; }

    public List<(string Name, int Rows, int Cols)> Tensors { get; } = [];

    public int DenseCount { get; private set; }

    public int ConvCount { get; private set; }

    public int OutputSize { get; private set; }

    public static NetworkPlan Build(IReadOnlyList<LayerSpec> specs, ImageShape? input, int inputSize)
    {
        var plan = new NetworkPlan(specs.Count);
        ImageShape? image = input;
        int width = inputSize;
        int activations = 0, flattens = 0;
        for (int i = 0; i < specs.Count; i++)
        {
            LayerSpec spec = specs[i] ?? throw new ArgumentNullException($"layers[{i}]");
            plan.Widths[i] = width;
            plan.Images[i] = image;
            switch (spec.Kind)
            {
                case LayerKind.Dense:
                    string fc = plan.Names[i] = "fc" + ++plan.DenseCount;
                    if (image is ImageShape unflattened)
                    {
                        throw Error(i, fc, $"gets {unflattened} images; put a flatten layer before it (as x.view(B, -1)).");
                    }
                    if (spec.OutputSize <= 0)
                    {
                        throw Error(i, fc, $"has output size {spec.OutputSize}; it must be positive.");
                    }
                    plan.Tensors.AddRange(Dense.Tensors(fc, width, spec.OutputSize));
                    width = spec.OutputSize;
                    break;
                case LayerKind.Conv2d:
                    string conv = plan.Names[i] = "conv" + ++plan.ConvCount;
                    if (image is not ImageShape seen)
                    {
                        throw Error(i, conv, $"needs an image input (channels, height, width) but gets vectors of {width}.");
                    }
                    Conv2dShape shape = ConvShape(i, conv, seen, spec);
                    plan.ConvShapes[i] = shape;
                    plan.Tensors.AddRange(Conv2dLayer.Tensors(conv, shape));
                    image = new ImageShape(shape.OutChannels, shape.OutHeight, shape.OutWidth);
                    width = shape.OutputSize;
                    break;
                case LayerKind.Flatten:
                    string flatten = plan.Names[i] = "flatten" + ++flattens;
                    if (image is null)
                    {
                        throw Error(i, flatten, $"needs an image input but gets vectors of {width}: there is nothing to flatten.");
                    }
                    image = null;
                    break;
                case LayerKind.Activation:
                    plan.Names[i] = "act" + ++activations;
                    break;
                default:
                    throw new ArgumentOutOfRangeException("layers", spec.Kind, $"layers[{i}] has an unknown layer kind.");
            }
        }
        plan.OutputSize = width;
        return plan;
    }

    private static Conv2dShape ConvShape(int index, string name, ImageShape input, LayerSpec spec)
    {
        ConvWindow window = spec.Window;
        try
        {
            return new Conv2dShape(input.Channels, input.Height, input.Width, spec.OutputSize, window.KernelH, window.KernelW,
                                   window.StrideH, window.StrideW, window.PaddingH, window.PaddingW);
        }
        catch (ArgumentException e)
        {
            throw Error(index, name, $"cannot convolve {input} images with {spec.OutputSize} filters {window}: {e.Message}");
        }
    }

    private static ArgumentException Error(int index, string name, string problem) =>
        new($"layers[{index}] ({name}) {problem}", "layers");
}
