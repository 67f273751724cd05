package io.inlet.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NodeUnackedBudgetTest {

  @Test
  void a_full_budget_wakes_each_waiting_subscription_once_when_room_opens() {
    NodeUnackedBudget budget = new NodeUnackedBudget(10);
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    Runnable wakeFirst = first::incrementAndGet;
    Runnable wakeSecond = second::incrementAndGet;

    assertThat(budget.hasRoom(wakeFirst)).isTrue();
    budget.delivered(12); // the batch that crosses the ceiling goes out whole
    assertThat(budget.hasRoom(wakeFirst)).isFalse();
    assertThat(budget.hasRoom(wakeFirst)).isFalse();
    assertThat(budget.hasRoom(wakeSecond)).isFalse();

    budget.released(1); // 11: still full
    assertThat(first.get()).isZero();
    budget.released(2); // 9: room
    assertThat(first.get()).isEqualTo(1);
    assertThat(second.get()).isEqualTo(1);
    budget.released(9);
    assertThat(first.get()).isEqualTo(1);
    assertThat(budget.outstanding()).isZero();
  }

  @Test
  void a_window_stops_at_the_smaller_of_its_own_limit_and_the_node_budget() {
    NodeUnackedBudget node = new NodeUnackedBudget(100);
    AtomicInteger woken = new AtomicInteger();
    DeliveryWindow small = new DeliveryWindow(5, node, woken::incrementAndGet);
    DeliveryWindow big = new DeliveryWindow(1000, node, woken::incrementAndGet);

    small.delivered(5);
    assertThat(small.hasRoom()).isFalse();
    big.delivered(95);
    assertThat(big.hasRoom()).isFalse(); // the node is full
    assertThat(small.acknowledged(3)).isTrue(); // its own window opens; the node has room too
    assertThat(woken.get()).isEqualTo(1); // big was waiting for the node
    assertThat(big.hasRoom()).isTrue();

    big.releaseAll(); // its subscription stopped: the node gets its records back
    assertThat(node.outstanding()).isEqualTo(2);
  }
}
