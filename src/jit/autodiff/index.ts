// Automatic backward for scripted, traced and loaded graphs: differentiate (f and df from the
// op table's gradient rules), the autograd node that runs df, and the call path with its cache.
export { differentiate, type Differentiated } from './differentiate.js';
export { DifferentiableGraphNode, type GraphRunner } from './graph-node.js';
export { callDifferentiable, planFor, wantsGrad } from './run.js';
export { NotDifferentiableError } from './errors.js';
