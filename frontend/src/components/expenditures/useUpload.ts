// useUpload sends one file over plain HTTP (multipart field "file") with
// XMLHttpRequest, so that a partner on a slow connection sees how far along
// it is and can cancel it: receipts and attachments upload this way.
import { useRef, useState } from "react";
import { uploadErrorOf, uploadServerMessage, type UploadError } from "./files";

export interface UploadFailure {
  kind: UploadError;
  detail?: string;
}

export function useUpload() {
  // progress: 0 to 100 while a file is on its way, undefined otherwise.
  const [progress, setProgress] = useState<number>();
  const [error, setError] = useState<UploadFailure>();
  const xhrRef = useRef<XMLHttpRequest>(undefined);

  // send POSTs f to url; onDone gets the answer's text on success.
  const send = (url: string, f: File, onDone: (responseText: string) => void) => {
    setError(undefined);
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open("POST", url);
    xhr.withCredentials = true;
    // Proof of a same-origin call for the server's cookie check.
    xhr.setRequestHeader("X-Requested-With", "pactum");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setProgress(Math.round((e.loaded / e.total) * 100));
    };
    const finish = () => {
      xhrRef.current = undefined;
      setProgress(undefined);
    };
    xhr.onload = () => {
      finish();
      if (xhr.status >= 200 && xhr.status < 300) onDone(xhr.responseText);
      else setError({ kind: uploadErrorOf(xhr), detail: uploadServerMessage(xhr) });
    };
    xhr.onerror = () => {
      finish();
      setError({ kind: "network" });
    };
    xhr.onabort = finish;
    const body = new FormData();
    body.append("file", f, f.name);
    setProgress(0);
    xhr.send(body);
  };

  return { progress, uploading: progress !== undefined, error, setError, send, cancel: () => xhrRef.current?.abort() };
}
