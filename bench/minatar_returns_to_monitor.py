#!/usr/bin/env python3
"""Turn the returns file of a MinAtar examples/dqn.py run into a Stable-Baselines3-style run folder that `compare`
reads beside DqnStudy's runs: OUT/seed-<i>/monitor.csv with one row per episode (r = return, l = frames, t = 0).

    usage: bench/minatar_returns_to_monitor.py GAME OUT RUN [RUN ...]

RUN: the file `dqn.py -o NAME` saves (NAME_data_and_weights, read with torch), or a JSON file
{"frames": N, "returns": [...], "frame_stamps": [...]} holding the same two lists (each episode's return and the frame
count at its end). MinAtar logs the episode running at NUM_FRAMES as a last episode, cut off; it is dropped here,
since DqnStudy's monitor.csv lists finished episodes only.
"""
import json
import os
import sys

IDS = {"asterix": "Asterix", "breakout": "Breakout", "freeway": "Freeway", "seaquest": "Seaquest",
       "space_invaders": "SpaceInvaders"}


def main(argv):
    if len(argv) < 4 or argv[1].replace("-", "_") not in IDS:
        sys.exit(__doc__ + f"\nGAME is one of: {', '.join(IDS)}")
    game, out, files = argv[1].replace("-", "_"), argv[2], argv[3:]
    for i, path in enumerate(files):
        if path.endswith("_data_and_weights"):
            import torch
            d = torch.load(path, map_location="cpu")
            d = {"returns": [float(r) for r in d["returns"]], "frame_stamps": [int(s) for s in d["frame_stamps"]]}
        else:
            d = json.load(open(path))
        returns, stamps = d["returns"], d["frame_stamps"]
        if len(returns) != len(stamps):
            sys.exit(f"{path}: {len(returns)} returns but {len(stamps)} frame stamps")
        returns, stamps = returns[:-1], stamps[:-1]
        folder = os.path.join(out, f"seed-{i}")
        os.makedirs(folder, exist_ok=False)
        with open(os.path.join(folder, "monitor.csv"), "w") as f:
            f.write(json.dumps({"t_start": 0, "env_id": f"MinAtar/{IDS[game]}-v0", "source": os.path.basename(path)},
                               separators=(",", ":")).join(["#", "\n"]))
            f.write("r,l,t\n")
            previous = 0
            for r, s in zip(returns, stamps):
                f.write(f"{r:g},{s - previous},0\n")
                previous = s
        print(f"{folder}/monitor.csv: {len(returns)} episodes, {previous} frames")


if __name__ == "__main__":
    main(sys.argv)
