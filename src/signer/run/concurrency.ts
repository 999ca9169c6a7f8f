// How many files every stage keeps in flight at once.
/**
 * Assets in flight at once, in every phase. Signing a small asset is mostly
 * waiting: a redirect, a download and a log submission, three round trips
 * against a few milliseconds of CPU. In flight at once, they hide those round
 * trips: the benchmark's 500-asset release, with 50 ms per request, takes
 * 20 s with 8, 13 s with 16 and 10 s with 32. Sixteen keeps the load on the
 * public Rekor and on GitHub modest (GitHub allows 100 concurrent requests)
 * for most of that gain. Hashing stays one stream of CPU work, so large
 * assets gain nothing and lose nothing.
 */
export const CONCURRENCY = 16

/**
 * Assets in flight at once when writing to Rekor v2. Rekor v2 answers only
 * once the entry's batch is in the tree, up to about a second later: a wait
 * that costs the log nothing. Downloads stay at CONCURRENCY; only assets
 * waiting on the log are added. On the benchmark's 50-asset release with
 * 1 s batches, the sign phase took 5.4 s with 16 in flight.
 */
export const REKOR_V2_CONCURRENCY = 64
