using System.Globalization;
using BenchmarkDotNet.Running;
using DqnStudy.Bench;

if (args.Length > 0 && args[0] == "--sustained")
{
    SustainedRun.Run(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10);
    return;
}
if (args.Length > 0 && args[0] == "--sustained-minatar")
{
    SustainedRun.RunMinAtar(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
