// Placeholder until the shared emulator setup lands (local platform work in progress).
export default async function setup(): Promise<void> {}
