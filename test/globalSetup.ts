// Placeholder: replaced by the local-services global setup (Azurite + Cosmos-protocol server).
export default function setup(): void {}
