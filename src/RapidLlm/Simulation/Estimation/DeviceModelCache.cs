using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>One set of cost models (and GEMM memo) per distinct device, shared by every simulation of a sweep. Thread-safe.</summary>
internal sealed class DeviceModelCache
{
    private readonly Lock _gate = new();
    private readonly List<DeviceModels> _devices = [];

    /// <summary>The models for <paramref name="hardware"/>: a shared set when its device was seen before, else a new one.</summary>
    public DeviceModels For(HardwareConfig hardware)
    {
        lock (_gate)
        {
            foreach (var device in _devices)
            {
                if (DeviceModels.SameDevice(device.Config, hardware)) return device.For(hardware);
            }

            var created = new DeviceModels(hardware);
            _devices.Add(created);
            return created;
        }
    }
}
