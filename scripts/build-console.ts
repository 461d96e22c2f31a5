import { buildConsole } from '../local/console';

/** `npm run console:build`: the console into console/dist, unless it is built from these sources already. */
const built = await buildConsole();
console.log(built ? 'Console built: console/dist' : 'Console up to date: console/dist');
