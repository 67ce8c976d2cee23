export interface EncodeRequest {
  readonly id: number;
  readonly bitmap: ImageBitmap;
  readonly type: 'image/jpeg' | 'image/webp';
  readonly quality: number;
}

export type EncodeResponse =
  | { readonly id: number; readonly blob: Blob; readonly width: number; readonly height: number }
  | { readonly id: number; readonly error: string };
