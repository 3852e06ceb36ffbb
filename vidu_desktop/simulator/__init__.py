"""The built-in Novita-compatible simulator: a real HTTP server for tests and demo mode."""

from .server import Fault, Faults, Simulator, SimulatorConfig, Stats

__all__ = ["Fault", "Faults", "Simulator", "SimulatorConfig", "Stats"]
