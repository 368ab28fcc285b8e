/**
 * Photo ids are opaque strings. The app's own are content hashes (32 hex), but an index made
 * elsewhere has its own: Unsplash `photo_id`s in the tutorial's index (`-LpZcFOTOWk`), file stems in
 * the embeddings generator's (`IMG_4032`, `DSC 0001 (2)`). Every id that arrives from outside (a
 * route, `like`, the CLI) is checked here: bounded in length, letters (any script), digits and a few
 * punctuation marks, never a separator, a control character or a dot-name, so an id can never be
 * read as a path.
 */
export const MAX_PHOTO_ID_LENGTH = 128;

const PHOTO_ID = /^(?!\.)[\p{L}\p{M}\p{N}_\-.~ ()+,@'&[\]]{1,128}$/u;

export function isPhotoId(id: string): boolean {
  return PHOTO_ID.test(id) && id.trim() === id;
}

export const PHOTO_ID_RULE = "a photo id: 1-128 letters, digits, spaces or _ - . ~ ( ) + , @ ' & [ ], not starting with a dot (no slashes)";
