// The pointwise fuser: the pass (fuse-graph), programs (program), the two back ends (codegen,
// template) and the run-time launcher with its kernel cache (launch).
export { fusePointwise, isFusible, FUSION_GROUP } from './fuse-graph.js';
export { runFusionGroup, runUnfused, setFuserMode, getFuserMode, fuserStats, resetFuser, type FuserMode, type FuserStats } from './launch.js';
export { FuseBuilder, FVal, type FuseExpr, type Operand, type Program } from './program.js';
export { FuserError } from './errors.js';
