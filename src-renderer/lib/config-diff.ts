/** Config differences for the pages; the functions live in common so that the CLI's `compare` diffs configs the same way. */
export * from '@common/config-diff';
