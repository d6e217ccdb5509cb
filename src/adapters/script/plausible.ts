// dist/adapters/plausible.min.js: registers the plausible adapter for the script tag (see register.ts).
import { plausibleAdapter } from '../plausible';
import { register } from './register';

register('plausible', plausibleAdapter);
