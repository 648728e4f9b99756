import { Center, Loader } from "@mantine/core";

// PageLoader shows that a screen is on its way (the theme names the spinner
// and gives it the status role, so screen readers announce it).
export function PageLoader() {
  return (
    <Center h="50vh" aria-busy="true">
      <Loader />
    </Center>
  );
}
