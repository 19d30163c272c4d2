export { parseTagVersion, type TagVersion } from './tag-version.js';
export { selectTags, checkTagRange, checkTagRegex, compareText, type TagSelection } from './select-tags.js';
export { parseShard, shardOfRepository, inShard, type Shard } from './shard.js';
export { parseImageList } from './image-list.js';
export { auditRecord, failedRecord } from './audit-record.js';
export { recordLine, parseRecordLines, latestRecords, type ParsedRecords } from './record-lines.js';
export { summarizeAudit, DEFAULT_AUDIT_TOP } from './summarize.js';
export { auditExitCode } from './exit-code.js';
