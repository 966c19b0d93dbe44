/**
 * Eigen-decomposition of a real symmetric matrix in float64, for the matrix square roots of the
 * Fréchet distance: Householder reduction to tridiagonal form, then the implicit QL algorithm with
 * Wilkinson-style shifts (the method of EISPACK's tred2/tql2 and Numerical Recipes' tred2/tqli).
 *
 * Cost for an n × n matrix: the reduction 2n³/3 multiply-adds, accumulating its transform 2n³/3,
 * and QL about n² plane rotations of two n-long rows with eigenvectors (O(n²) without). At n = 1792
 * that is some 20 s of one core with eigenvectors, most of it in QL's rotations, and about 4 s for
 * eigenvalues alone.
 * Everything is laid out so the inner loops run along rows (eigenvectors are kept as rows), since
 * column walks over a 14 KB stride miss the cache on every element.
 */

export interface SymmetricEigen {
  /** Ascending. */
  values: Float64Array;
  /** n × n, row-major; row i is the unit eigenvector of values[i], so A = Vᵀ diag(values) V with V these rows. */
  vectors: Float64Array;
}

/** Reflectors applied per pass when accumulating Qᵀ: 16 of their vectors (230 KB at n = 1792) stay in L2. */
const REFLECTOR_BLOCK = 16;

/** QL usually converges in 1–2 iterations per eigenvalue; far more means the input was not finite. */
const MAX_QL_ITERATIONS = 50;

/** Eigenvalues (ascending) and unit eigenvectors of the symmetric n × n matrix (row-major; it is not modified). */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  const { d, e, qt } = tridiagonalize(symmetrizedCopy(matrix, n), n, true);
  implicitQl(d, e, qt, n);
  return sortAscending(d, qt!, n);
}

/** Eigenvalues only (ascending): the same reduction without accumulating the transforms. */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  const { d, e } = tridiagonalize(symmetrizedCopy(matrix, n), n, false);
  implicitQl(d, e, null, n);
  return d.sort();
}

/**
 * The reduction reads only the upper triangle. A matrix that came out of float products (a
 * covariance, VᵀΣV) is symmetric only up to rounding, so it works on the average of A and Aᵀ rather
 * than on one of them.
 */
function symmetrizedCopy(matrix: Float64Array, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1 || matrix.length !== n * n) throw new Error(`expected an n × n matrix with n = ${n}, got ${matrix.length} values`);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = matrix[i * n + i]!;
    for (let j = i + 1; j < n; j++) a[i * n + j] = 0.5 * (matrix[i * n + j]! + matrix[j * n + i]!);
  }
  return a;
}

/**
 * Householder reduction T = Qᵀ A Q with T tridiagonal: `d` its diagonal, `e[i]` the entry coupling i
 * and i + 1 (e[n − 1] = 0), and with `wantQ` the rows of Qᵀ. Step k reflects column k below the
 * diagonal onto its first entry with H = I − β v vᵀ and applies H A H to the trailing block as a
 * symmetric rank-2 update. Only the upper triangle of `a` is read (row k serves as column k), and
 * `a` is overwritten: row k keeps step k's vector v.
 */
function tridiagonalize(a: Float64Array, n: number, wantQ: boolean): { d: Float64Array; e: Float64Array; qt: Float64Array | null } {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const betas = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const rowK = k * n;
    d[k] = a[rowK + k]!;
    // x = A[k+1.., k], read from row k by symmetry; scaled by its largest entry so squaring it
    // cannot overflow or underflow (the reflector does not depend on the scale).
    let scale = 0;
    for (let i = k + 1; i < n; i++) scale = Math.max(scale, Math.abs(a[rowK + i]!));
    let tail = 0;
    for (let i = k + 2; i < n; i++) {
      const u = a[rowK + i]! / scale;
      tail += u * u;
    }
    if (scale === 0 || tail === 0) {
      // Already zero below the subdiagonal: nothing to reflect (H = I).
      e[k] = a[rowK + k + 1]!;
      betas[k] = 0;
      continue;
    }
    const u0 = a[rowK + k + 1]! / scale;
    const norm = Math.sqrt(u0 * u0 + tail);
    // alpha takes the sign opposite to u0 so v0 = u0 − alpha does not cancel.
    const alpha = u0 >= 0 ? -norm : norm;
    a[rowK + k + 1] = u0 - alpha;
    for (let i = k + 2; i < n; i++) a[rowK + i]! /= scale;
    const beta = 1 / (norm * (norm + Math.abs(u0)));
    betas[k] = beta;
    e[k] = alpha * scale;

    // p = β A22 v, then w = p − (β pᵀv / 2) v, and A22 −= v wᵀ + w vᵀ, all on the upper triangle
    // (j ≥ i): each stored A_ij serves both p_i and p_j, so the block is read once per step, not
    // twice, and updated in half. The lower triangle goes stale and is never read.
    p.fill(0, k + 1, n);
    symmetricUpperMatVec(a, n, rowK, k + 1, p);
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      p[i]! *= beta;
      pv += p[i]! * a[rowK + i]!;
    }
    const half = 0.5 * beta * pv;
    for (let i = k + 1; i < n; i++) p[i]! -= half * a[rowK + i]!;
    for (let i = k + 1; i < n; i++) {
      const rowI = i * n;
      const vi = a[rowK + i]!;
      const wi = p[i]!;
      for (let j = i; j < n; j++) a[rowI + j]! -= vi * p[j]! + wi * a[rowK + j]!;
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2]!;
    e[n - 2] = a[(n - 2) * n + n - 1]!;
  }
  d[n - 1] = a[n * n - 1]!;
  e[n - 1] = 0;
  if (!wantQ) return { d, e, qt: null };

  // Qᵀ = H_{n−3} ··· H_0, built as I · H_{n−3} · … · H_0 so that step k only touches rows and
  // columns k + 1.. (everything before is still the identity there): row r −= β (row r · v) vᵀ.
  // Rows are independent, so a block of reflectors is applied to a few rows at a time while they
  // stay in L1, instead of streaming the whole matrix through memory once per reflector.
  const qt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  for (let kHi = n - 3; kHi >= 0; kHi -= REFLECTOR_BLOCK) {
    const kLo = Math.max(0, kHi - REFLECTOR_BLOCK + 1);
    // Rows up to kHi + 1 take only the reflectors k < r of the block, one row at a time; the rest
    // take all of them, four rows together, so four dot products run side by side instead of
    // one waiting on its own previous addition.
    let r = kLo + 1;
    for (; r <= kHi + 1 && r < n; r++) reflectRows(qt, a, betas, n, r, 1, Math.min(kHi, r - 1), kLo);
    for (; r + 4 <= n; r += 4) reflectRows(qt, a, betas, n, r, 4, kHi, kLo);
    for (; r < n; r++) reflectRows(qt, a, betas, n, r, 1, kHi, kLo);
  }
  return { d, e, qt };
}

/**
 * p[from..] += A v for the trailing block A = a[from.., from..] of which only the upper triangle is
 * read, v = a[rowV + from..]. Two rows at a time, so their dot products' additions overlap and each
 * p_j is updated once for both.
 */
function symmetricUpperMatVec(a: Float64Array, n: number, rowV: number, from: number, p: Float64Array): void {
  let i = from;
  for (; i + 2 <= n; i += 2) {
    const rowI = i * n;
    const rowJ = rowI + n;
    const vi = a[rowV + i]!;
    const vj = a[rowV + i + 1]!;
    const aij = a[rowI + i + 1]!;
    let si = a[rowI + i]! * vi + aij * vj;
    let sj = a[rowJ + i + 1]! * vj;
    p[i + 1]! += aij * vi;
    for (let j = i + 2; j < n; j++) {
      const x = a[rowI + j]!;
      const y = a[rowJ + j]!;
      const v = a[rowV + j]!;
      si += x * v;
      sj += y * v;
      p[j]! += x * vi + y * vj;
    }
    p[i]! += si;
    p[i + 1]! += sj;
  }
  if (i < n) p[i]! += a[i * n + i]! * a[rowV + i]!;
}

/**
 * Applies reflectors kHi down to kLo (vectors in the rows of `v`) to `count` (1 or 4) consecutive
 * rows of qt from `first`: row −= β (row · v_k) v_k over columns k + 1.., each sum in column order.
 */
function reflectRows(qt: Float64Array, v: Float64Array, betas: Float64Array, n: number, first: number, count: 1 | 4, kHi: number, kLo: number): void {
  const r0 = first * n;
  for (let k = kHi; k >= kLo; k--) {
    const beta = betas[k]!;
    if (beta === 0) continue;
    const rowK = k * n;
    if (count === 1) {
      let s = 0;
      for (let c = k + 1; c < n; c++) s += qt[r0 + c]! * v[rowK + c]!;
      s *= beta;
      for (let c = k + 1; c < n; c++) qt[r0 + c]! -= s * v[rowK + c]!;
      continue;
    }
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = k + 1; c < n; c++) {
      const x = v[rowK + c]!;
      s0 += qt[r0 + c]! * x;
      s1 += qt[r1 + c]! * x;
      s2 += qt[r2 + c]! * x;
      s3 += qt[r3 + c]! * x;
    }
    s0 *= beta;
    s1 *= beta;
    s2 *= beta;
    s3 *= beta;
    for (let c = k + 1; c < n; c++) {
      const x = v[rowK + c]!;
      qt[r0 + c]! -= s0 * x;
      qt[r1 + c]! -= s1 * x;
      qt[r2 + c]! -= s2 * x;
      qt[r3 + c]! -= s3 * x;
    }
  }
}

/**
 * Diagonalises the tridiagonal (d, e) in place by implicit QL steps; with `zt` (rows = the current
 * basis) each plane rotation is applied to its rows i and i + 1, so zt ends as the eigenvectors.
 */
function implicitQl(d: Float64Array, e: Float64Array, zt: Float64Array | null, n: number): void {
  // An off-diagonal entry is negligible when it is below rounding relative to the whole matrix
  // (EISPACK's tql2 test), not relative to its neighbours on the diagonal (Numerical Recipes'): a
  // singular covariance has eigenvalues at ±1e-16·‖A‖, and rotations that pass through the large
  // entries leave couplings of ε‖A‖ next to them, which a test relative to ±1e-16 never accepts.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0));
  const negligible = Number.EPSILON * norm;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      // Find the first negligible off-diagonal at or after l: the block l..m splits off.
      let m = l;
      for (; m < n - 1; m++) {
        if (Math.abs(e[m]!) <= negligible) break;
      }
      if (m === l) break;
      if (++iterations > MAX_QL_ITERATIONS) throw new Error('symmetric eigen-decomposition did not converge (is the matrix finite?)');
      // Shift from the leading 2 × 2 block's eigenvalue nearer d[l].
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let deflated = false;
      for (let i = m - 1; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: the rotation is the identity and the block splits at i; start again.
          d[i + 1]! -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (zt) {
          const rowI = i * n;
          const rowJ = rowI + n;
          for (let k = 0; k < n; k++) {
            const zi = zt[rowI + k]!;
            const zj = zt[rowJ + k]!;
            zt[rowJ + k] = s * zi + c * zj;
            zt[rowI + k] = c * zi - s * zj;
          }
        }
      }
      if (deflated) continue;
      d[l]! -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

function sortAscending(d: Float64Array, zt: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = d[from]!;
    vectors.set(zt.subarray(from * n, from * n + n), to * n);
  });
  return { values, vectors };
}
