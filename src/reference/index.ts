export * from './image-reference.js';
export * from './daemon-reference.js';
