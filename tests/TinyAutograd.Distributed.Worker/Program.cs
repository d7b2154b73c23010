using System.Globalization;
using TinyAutograd.Distributed;
using TinyAutograd.Distributed.Worker;

// Usage: worker <scenario> [arguments]; see Scenarios.
var communicator = Communicator.World;
int Int(int index) => int.Parse(args[index], CultureInfo.InvariantCulture);
switch (args[0])
{
    case "train-double":
        Scenarios.Train<double>(communicator, Int(1), Int(2), args[3], Int(4));
        break;
    case "train-float":
        Scenarios.Train<float>(communicator, Int(1), Int(2), args[3], Int(4));
        break;
    case "mismatch":
        Scenarios.Mismatch(communicator);
        break;
    case "fault":
        Scenarios.Fault(communicator, args[1]);
        break;
    case "resume":
        Scenarios.Resume(communicator, args[1], args[2]);
        break;
    case "buffers":
        Scenarios.Buffers(communicator, args[1]);
        break;
    default:
        throw new ArgumentException($"worker: unknown scenario '{args[0]}'.");
}
