// dist/adapters/plausible.min.js: registers the plausible adapter for the script tag (see register.ts); load it after base.min.js.
import { plausibleAdapter } from '../plausible';
import { register } from './register';

register('plausible', plausibleAdapter);
