// aten::linear's few-row path (f32_gemv_rows: W read in place) against a naive product, on both
// sides of its row limit, with tails of N and K that are not multiples of 4, and views of x.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import type { Tensor } from '../../src/sdk/tensor.js';
import { values } from '../../src/ops/exec.js';
import { close } from './helpers.js';

torch.manual_seed(3);

/** x @ w^T + bias over JS numbers (x viewed as [rows, K]). */
function naiveLinear(x: Tensor, w: Tensor, bias: Tensor | null): number[] {
  const [N, K] = w.shape, xv = values(x.contiguous()), wv = values(w), bv = bias ? values(bias) : null;
  const out: number[] = [];
  for (let i = 0; i < xv.length / K; i++) {
    for (let j = 0; j < N; j++) {
      let s = bv ? bv[j] : 0;
      for (let k = 0; k < K; k++) s += xv[i * K + k] * wv[j * K + k];
      out.push(s);
    }
  }
  return out;
}

test('few rows, N and K tails, with and without bias', () => {
  for (const rows of [1, 2, 3, 8, 9]) {
    for (const [N, K] of [[1000, 1280], [5, 7], [4, 4], [3, 1], [9, 13]]) {
      const x = torch.randn([rows, K]), w = torch.randn([N, K]), b = torch.randn([N]);
      for (const bias of [b, null]) {
        const y = torch.linear(x, w, bias) as Tensor;
        assert.equal(y.shape, [rows, N]);
        close(values(y), naiveLinear(x, w, bias), 1e-4, `rows ${rows} N ${N} K ${K} bias ${!!bias}`);
      }
    }
  }
});

test('batched x, a row-strided view and a transposed view of x', () => {
  const w = torch.randn([6, 5]), b = torch.randn([6]);
  const x3 = torch.randn([2, 3, 5]);
  close(values(torch.linear(x3, w, b) as Tensor), naiveLinear(x3, w, b), 1e-5, '3-D x');
  assert.equal((torch.linear(x3, w, b) as Tensor).shape, [2, 3, 6]);
  const wide = torch.randn([4, 9]);
  const rowsView = wide.narrow(1, 2, 5); // rows 9 floats apart, last dim contiguous
  close(values(torch.linear(rowsView, w, b) as Tensor), naiveLinear(rowsView, w, b), 1e-5, 'row-strided x');
  const xt = torch.randn([5, 3]).t(); // last dim strided: the GEMM path
  close(values(torch.linear(xt, w, null) as Tensor), naiveLinear(xt, w, null), 1e-5, 'transposed x');
  const wt = torch.randn([5, 6]).t(); // a transposed weight: the GEMM path
  close(values(torch.linear(x3, wt, b) as Tensor), naiveLinear(x3, wt.contiguous(), b), 1e-5, 'transposed w');
});

test.run();
