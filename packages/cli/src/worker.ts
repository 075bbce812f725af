// The entry of each worker process of `tokenpak proxy --workers N` (node:cluster runs it; see proxy/cluster-primary.ts).
import { runClusterWorker } from './proxy/cluster-worker.ts';

await runClusterWorker();
