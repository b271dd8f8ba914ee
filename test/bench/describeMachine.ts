import { cpus, totalmem, type as osType, release as osRelease } from 'node:os';

/** The machine a benchmark ran on, as the report prints it. */
export interface MachineDescription {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
}

/** Describes this machine: CPU model, logical cores, memory, operating system and Node version. */
export function describeMachine(): MachineDescription {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${osRelease()}`,
    node: process.version,
  };
}
