using System.Globalization;
using BenchmarkDotNet.Running;
using DqnStudy.Bench;

if (args.Length > 0 && args[0] == "--sustained")
{
    SustainedRun.Run(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10);
    return;
}
if (args.Length > 0 && args[0] == "--profile")
{
    ProfileRun.Run(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 20);
    return;
}
if (args.Length > 0 && args[0] == "--sustained-minatar")
{
    SustainedRun.RunMinAtar(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10);
    return;
}
if (args.Length > 0 && args[0] == "--minatar")
{
    if (args.Length < 2)
    {
        Console.Error.WriteLine("usage: DqnStudy.Bench --minatar PACKAGE_DIR [PYTHON]  (PACKAGE_DIR holds MinAtar's minatar/ package; PYTHON defaults to /usr/bin/python3)");
        Environment.Exit(2);
    }

    Environment.Exit(MinAtarComparison.Run(args[1], args.Length > 2 ? args[2] : "/usr/bin/python3"));
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
