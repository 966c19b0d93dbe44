/** Quality distances between feature sets (issue 12): Fréchet distance, KID, precision and recall, the memorization check. */
export { checkFeatureSet, featureCovariance, featureMean, featureSet, type FeatureSet } from './features';
export { forEachDotTile, forEachSquaredDistanceTile, rowSquaredNorms, type Tile } from './pairwise';
export { symmetricEigen, symmetricEigenvalues, type SymmetricEigen } from './symmetric-eigen';
export { frechetDistance, frechetDistanceFromStats, gaussianStats, type GaussianStats } from './frechet';
export { kernelInceptionDistance, kidSubsets, polynomialKernel, type KidOptions, type KidResult } from './kid';
export { DEFAULT_K, kNearestRadii, precisionRecall, type PrecisionRecall } from './precision-recall';
export { closestPairs, COPY_RATIO_THRESHOLD, median, memorizationCheck, nearestNeighbours, type ClosestPair, type MemorizationReport, type NearestNeighbours } from './memorization';
