namespace DqnStudy.Nn.Diagnostics;

/// <summary>Per activation unit, in the order a forward visits them: where it was and the float32 slope there, recorded
/// on the first forward after <see cref="Restart"/> with recording on and replayed by the forwards after it.</summary>
public sealed class FloatSlopes
{
    private readonly List<(double V0, double Y0, double Slope)?> _units = [];
    private int _cursor;
    private bool _recording = true;

    /// <summary>The next forward records (after Backpropagate: new parameters) or replays.</summary>
    public void Restart(bool record)
    {
        if (record) _units.Clear();
        _recording = record;
        _cursor = 0;
    }

    internal (double V0, double Y0, double Slope) Next(double v, double y, double slope)
    {
        if (_recording)
        {
            _units.Add((v, y, slope));
            return (v, y, slope);
        }
        // A unit that was resolved at the unperturbed parameters has just crossed into the band: the kink side says so
        // and the checker skips this element; any value serves until then.
        return _units[_cursor++] ?? (v, y, slope);
    }

    internal void Skip()
    {
        if (_recording) _units.Add(null);
        else _cursor++;
    }
}
