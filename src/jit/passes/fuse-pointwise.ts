// The pointwise fusion pass (PyTorch's FuseGraph); it lives with the fuser in src/jit/fuser.
export { fusePointwise } from '../fuser/fuse-graph.js';
