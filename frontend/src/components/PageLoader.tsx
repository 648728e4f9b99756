import { Center, Loader } from "@mantine/core";

export function PageLoader() {
  return (
    <Center h="50vh" aria-busy="true">
      <Loader aria-label="Loading" />
    </Center>
  );
}
