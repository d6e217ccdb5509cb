// dist/adapters/segment.min.js: registers the segment adapter for the script tag (see register.ts).
import { segmentAdapter } from '../segment';
import { register } from './register';

register('segment', segmentAdapter);
