// dist/adapters/segment.min.js: registers the segment adapter for the script tag (see register.ts); load it after base.min.js.
import { segmentAdapter } from '../segment';
import { register } from './register';

register('segment', segmentAdapter);
